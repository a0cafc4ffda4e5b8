// partner_graph
