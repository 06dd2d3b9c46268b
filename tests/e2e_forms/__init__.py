"""End-to-end form tests: a package, so that its package-scoped server ends with it."""
