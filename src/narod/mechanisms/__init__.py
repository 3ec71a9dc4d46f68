"""One module per mechanism: small compiled functions over plain numbers and arrays.

The models (``narod.models``) compose them into a schedule; each can be tested on its own.
"""
