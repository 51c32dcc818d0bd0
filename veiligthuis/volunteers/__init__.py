"""Volunteers for childcare, welcome and transport, their shifts, and childcare needs."""
