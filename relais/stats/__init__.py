"""Activity statistics: what the service did, for whom, without ever exposing a person."""
