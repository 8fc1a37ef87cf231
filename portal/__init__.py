"""The shared library every app of the Partnership Portal builds on: access control,
API and page base classes, workflow errors and row locks, attachments, notifications,
history, and the registries through which apps add to the dashboard, search,
navigation and the daily run. It depends on no app; the project lives in ``config``.

Row locks: one order for the whole portal
=========================================

Every service that locks more than one row locks them parent before child, in this
order, and takes each lock before it reads what it will write::

    idempotency record                       (portal.idempotency, around the service)
    organization → user → membership → invitation, API token   (accounts)
    partnership → partnership member         (partnerships)
    agreement → agreement party → clause     (partnerships)
    fund program → application → award → tranche, progress report   (funding)
                 award → budget revision; tranche → payment;
                 progress report → indicator values, spend per budget line;
                 fund program → program question (a draft's questions)
    practice base → practice base college → placement → student → nomination
                 → evaluation                              (internships)
    (a student after its college's organization row, when both are locked)
    teacher secondment                       (internships; locked alone)
    articles → article version → board → board member → meeting → resolution → vote
                                             (governance)
    (member organization →) association membership → dues payment, renewal
                                             (associations; membership type locked alone)
    entrustment → deliverable; entrustment → certification application (associations)
    assessment; talent-demand report         (associations; each locked alone)
    cooperation need → interest              (discovery; before the agreement a thread drafts)
    reference counter                        (last: portal.references)

A service that needs a child and its parent reads the child's parent id without a lock,
locks the parent, then locks the child. Locks name only the rows meant:
``select_for_update(of=("self",))``, so a ``select_related`` never locks the joined
parents out of order. Two requests that follow this order wait for each other instead
of deadlocking; tests/*/test_races.py runs each pair that can meet on PostgreSQL.
"""
