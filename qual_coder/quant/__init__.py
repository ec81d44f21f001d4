"""Quantitative companions: CASCADE ratings, surveys, statistics, triangulation."""
