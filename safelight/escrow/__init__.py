"""Matching escrow ("report together"): a report held until someone else names the same person.

See docs/escrow.md for the protocol (Callisto's design on an RFC 9497 OPRF with a split key) and
what each party learns.
"""
