"""The agent pipeline, free of Django: the workbench fills the dataclasses of
`agents.context`, calls `agents.graph` (`draft_batch`, `make_brief`, `revise_segment`) with
an `agents.llm.LLMClient`, and stores what comes back."""
