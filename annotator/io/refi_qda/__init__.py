"""REFI-QDA exchange files (``.qdpx`` projects, ``.qdc`` codebooks): reading, positions, writing."""
