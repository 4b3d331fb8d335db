"""Scoring newsgraph's output against gold files (the seed's format): used by tests, benches and the CI gate."""
