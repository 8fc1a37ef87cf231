"""How much free text the portal takes in one field: more than any real entry needs,
little enough that no request can make a worker chew on megabytes. Model fields carry
these (so forms and the API say so next to the field); plain form and serializer fields
that feed a service use them too."""

LARGEST_ID = 2**63 - 1  # record ids are 64-bit (BigAutoField); none is larger
NOTE_TEXT = 4_000  # reasons, notes and comments on one step of a workflow
LONG_TEXT = 20_000  # descriptions, summaries, clause texts, report narratives


def parse_id(value) -> int | None:
    """A record id as a client may send it (a whole number, or its digits as text), or
    None: anything else, including more digits than any id has (``int()`` refuses a few
    thousand of them with an error, not a 400)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= LARGEST_ID else None
    text = str(value).strip() if isinstance(value, str) else ""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(LARGEST_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= LARGEST_ID else None
