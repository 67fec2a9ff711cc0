"""kit report: what the campaign reached, read back from the web server's access logs."""
