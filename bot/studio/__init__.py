"""The staff studio: a local web app to edit content (answers, examples, checks, bot texts) and review the inbox.

It reuses bot.content for every parse and check (no second parser) and edits files round-trip with ruamel.yaml,
so comments, order and layout stay as staff wrote them.
"""
