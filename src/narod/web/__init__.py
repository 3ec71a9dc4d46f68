"""The explorer: a small web app that runs the February model and streams it to the page."""
