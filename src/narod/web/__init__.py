"""The explorer: a small web app that runs the city model and streams it to the page."""
