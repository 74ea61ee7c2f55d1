"""The live view's machinery: charts updated in place while playing, and frame pacing."""
