"""Council: triage, similar needs, priorities, votes, actions, dashboard, report."""
