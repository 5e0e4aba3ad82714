/// Placeholder until the resampler lands.
enum ResamplingPlaceholder {}
