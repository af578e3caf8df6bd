"""Certificates: proof behind a certification code (VietGAP số …, issued by …, valid until …).

``documents`` checks an uploaded file by its content; ``services`` holds every write and the
one answer to "who may do this" that the API (``api``), the pages (``views``) and the admin
call; ``selectors`` holds the reads (what a user may see, what matching may rely on).
"""
