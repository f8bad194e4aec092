"""Who is calling: customers' OpenID Connect access tokens and the service's signed customer
assertions that the action server checks before it touches an account."""
