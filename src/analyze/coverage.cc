// coverage
