"""Protection generated from the estimate: edge rate limits, queue and worker sizing."""
