"""The SPARQL 1.1 Protocol, Update and Graph Store machinery behind `/sparql`, `/update` and
`/store`: reading requests, negotiating formats, evaluating, describing the service."""
