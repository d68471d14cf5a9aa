"""Use cases that combine the vault, the domain and the knowledge base."""
