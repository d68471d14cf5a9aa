"""On-device assistant: model catalogue, inference worker, grounding, output checks."""
