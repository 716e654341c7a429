"""textmend: find and mend defects in text corpora.

The Python API returns the same findings as the command line:

    >>> import textmend
    >>> [d.code for d in textmend.check("We saw the the harbour.")]
    ['D101']
    >>> textmend.fix_text("We saw the the harbour.", unsafe_fixes=True)
    'We saw the harbour.'
"""

__version__ = "0.1.0"

from textmend.api import check, fix_text

__all__ = ["__version__", "check", "fix_text"]
