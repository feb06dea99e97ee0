"""Real-shaped notes, one module per language, each case with every field it must parse to.

A case is (note text, framing, [expected source fields...]); fields left out of an expected source
must be empty. Where a case names a known gap of the parser, it is listed in ``KNOWN_GAPS`` of its
module with the reason, and the table's test expects it to fail until the gap is closed.
"""
