"""Saved searches and their delivery: feeds, mail sections, webhooks and MCP (issue 17)."""
