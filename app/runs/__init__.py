"""Match runs: run the solver, inspect, adjust, approve, publish and export the teams."""
