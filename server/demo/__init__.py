"""Demo content: Moquegua's plan, its projects, a household survey and a feedback form."""
