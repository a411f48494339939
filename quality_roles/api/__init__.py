"""The quality roles in the REST API: read-only, for the regulator's inspectors (Q-13)."""
