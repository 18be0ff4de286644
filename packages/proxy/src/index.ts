// The osproxy pipeline: tenancy, placement, rewrite, response shaping, cursors.
