// gaps
