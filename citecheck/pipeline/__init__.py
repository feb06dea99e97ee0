"""The check: the stages run in order over a draft's sources, with the page-reading workers."""
