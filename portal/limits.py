"""How much free text the portal takes in one field: more than any real entry needs,
little enough that no request can make a worker chew on megabytes. Model fields carry
these (so forms and the API say so next to the field); plain form and serializer fields
that feed a service use them too."""

LARGEST_ID = 2**63 - 1  # record ids are 64-bit (BigAutoField); none is larger
NOTE_TEXT = 4_000  # reasons, notes and comments on one step of a workflow
LONG_TEXT = 20_000  # descriptions, summaries, clause texts, report narratives
