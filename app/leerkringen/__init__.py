"""Admin page: leerkringen and the wijkdocenten who answer for them."""
