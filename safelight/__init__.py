"""Safelight: safe reporting and case handling for technology-facilitated abuse."""
