"""LLM-assisted annotation: an OpenAI-compatible client, prompting techniques, label-set expansion,
Label Studio round trips, agreement reports and a prompt-optimisation loop (the paper's section 3.5)."""
