"""State arrays and spaces: the torus grid and the agents that live on it."""
