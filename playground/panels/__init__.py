"""One module per panel of the page, each with `render(...)`. A panel never imports another
panel; what panels share lives in settings/, figures/ or session/."""
