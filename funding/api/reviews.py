"""The API of reviews (blind until one's own is in, corrected until the decision), of
assigned reviewers, and of the summary a decider reads."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from funding import services
from funding.filters import ReviewAssignmentFilterSet, ReviewFilterSet
from funding.models import (
    FundApplication,
    FundProgram,
    Review,
    ReviewAssignment,
    ReviewCriterion,
    ReviewScore,
)
from portal import access
from portal.api import BoundedListField, PortalViewSetMixin, VisibleRecordField, WholeRowMixin
from portal.idempotency import idempotent

from .views import IDEMPOTENCY_KEY

USERNAME_LENGTH = User._meta.get_field("username").max_length


# --- reviews ------------------------------------------------------------------------


class ReviewScoreSerializer(WholeRowMixin, serializers.ModelSerializer):
    criterion = VisibleRecordField(queryset=ReviewCriterion.objects.all())
    criterion_name = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = ReviewScore
        fields = ["criterion", "criterion_name", "score"]


class ReviewSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:review-detail")
    application = VisibleRecordField(queryset=FundApplication.objects.all())
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    scores = ReviewScoreSerializer(many=True, max_length=settings.API_MAX_LIST_ITEMS)

    class Meta:
        model = Review
        fields = [
            "id",
            "url",
            "application",
            "reviewer",
            "scores",
            "recommendation",
            "comment",
            "weighted_score",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["weighted_score", "version"]


class ReviewUpdateSerializer(ReviewSerializer):
    """A correction: new scores (for the criteria given; the others stay), the
    recommendation, the comment. The application does not change."""

    application = serializers.PrimaryKeyRelatedField(read_only=True)


def _scores(rows) -> dict[int, int]:
    return {row["criterion"].pk: row["score"] for row in rows}


class ReviewViewSet(
    PortalViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Scored reviews: government only, and blind while reviews are open: a reviewer
    reads the others once their own is saved; the deciders (the department's admins
    with no tie to the applicant) read them all, and all government once the
    application is decided. POST scores an application under review; PATCH or PUT
    corrects one's own review until the decision (409 after)."""

    queryset = Review.objects.select_related("reviewer", "application").prefetch_related(
        "scores__criterion"
    )
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilterSet
    ordering_fields = ("created_at", "weighted_score")
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return services.reviews_visible_to(self.request.user, super().get_queryset())

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ReviewUpdateSerializer
        return super().get_serializer_class()

    def can_write(self, user, obj) -> bool:
        return obj.reviewer_id == user.pk

    def perform_create(self, serializer):
        data = serializer.validated_data
        application = get_object_or_404(
            FundApplication.objects.visible_to(self.request.user), pk=data["application"].pk
        )
        serializer.instance = services.review_submit(
            actor=self.request.user,
            application=application,
            scores=_scores(data["scores"]),
            recommendation=data["recommendation"],
            comment=data.get("comment", ""),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        review = services.review_update(
            actor=self.request.user,
            review=serializer.instance,
            scores=_scores(data["scores"]) if "scores" in data else None,
            recommendation=data.get("recommendation"),
            comment=data.get("comment"),
        )
        serializer.instance = self.get_queryset().get(pk=review.pk)


# --- assigned reviewers -------------------------------------------------------------


class ReviewAssignmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:review-assignment-detail")
    application = VisibleRecordField(queryset=FundApplication.objects.all())
    reviewer = serializers.CharField(
        max_length=USERNAME_LENGTH,
        help_text="The officer's username: an admin or staff member of the department.",
    )
    reviewer_name = serializers.SerializerMethodField()
    assigned_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed = serializers.BooleanField(read_only=True, help_text="The officer has reviewed it.")

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "url",
            "application",
            "reviewer",
            "reviewer_name",
            "due_date",
            "assigned_by",
            "reviewed",
            "created_at",
            "updated_at",
        ]

    def get_reviewer_name(self, assignment) -> str:
        return assignment.reviewer.get_full_name() or assignment.reviewer.username

    def to_representation(self, assignment):
        data = super().to_representation(assignment)
        data["reviewer"] = assignment.reviewer.username
        return data


class SpreadSerializer(serializers.Serializer):
    program = VisibleRecordField(queryset=FundProgram.objects.all())
    reviewers = BoundedListField(
        child=serializers.CharField(max_length=USERNAME_LENGTH),
        allow_empty=False,
        max_length=services.assignments.MAX_SPREAD_REVIEWERS,
        help_text="Usernames of the department's admins and staff to spread the work over.",
    )
    per_application = serializers.IntegerField(
        min_value=1, max_value=services.assignments.MAX_SPREAD_REVIEWERS
    )
    due_date = serializers.DateField()


class SpreadResultSerializer(serializers.Serializer):
    created = ReviewAssignmentSerializer(many=True)
    short = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Applications still short of reviewers (ties, or too few reviewers).",
    )


def _officers_named(program: FundProgram, usernames) -> dict[str, User]:
    return {
        officer.username: officer
        for officer in services.department_officers(program).filter(username__in=usernames)
    }


class ReviewAssignmentViewSet(
    PortalViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Officers asked to review an application by a date (government only). The
    department's admins POST one, DELETE one whose officer has not reviewed yet, or
    `spread/` the work evenly over a program. Once an application has assigned
    reviewers, only they review it. Filters: `application`, `reviewer`, `program`,
    `overdue`."""

    queryset = ReviewAssignment.objects.select_related(
        "reviewer", "assigned_by", "application__program"
    ).annotate(
        reviewed=Exists(
            Review.objects.filter(
                application=OuterRef("application"), reviewer=OuterRef("reviewer")
            )
        )
    )
    serializer_class = ReviewAssignmentSerializer
    filterset_class = ReviewAssignmentFilterSet
    ordering_fields = ("due_date", "created_at")

    def can_write(self, user, obj) -> bool:
        return services.can_decide(user, obj.application.program)

    def perform_create(self, serializer):
        data = serializer.validated_data
        application = get_object_or_404(
            FundApplication.objects.visible_to(self.request.user).select_related("program"),
            pk=data["application"].pk,
        )
        # Asked before the username is looked up, so that the answer tells no one
        # outside the department's admins which usernames exist.
        access.require(services.can_decide(self.request.user, application.program))
        officers = _officers_named(application.program, [data["reviewer"]])
        assignment = services.assignment_create(
            actor=self.request.user,
            application=application,
            reviewer=officers.get(data["reviewer"]),
            due_date=data["due_date"],
        )
        serializer.instance = self.get_queryset().get(pk=assignment.pk)

    def perform_destroy(self, instance):
        services.assignment_remove(actor=self.request.user, assignment=instance)

    @extend_schema(
        request=SpreadSerializer,
        responses={201: SpreadResultSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def spread(self, request):
        """Give each submitted or under-review application of the program
        `per_application` reviewers (counting those it has) out of `reviewers`, the
        fewest-assigned first, never one with a tie to the applicant."""
        body = SpreadSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        program = data["program"]
        access.require(services.can_decide(request.user, program))
        officers = _officers_named(program, data["reviewers"])
        unknown = [name for name in data["reviewers"] if name not in officers]
        if unknown:
            return Response(
                {
                    "reviewers": [
                        "Not admins or staff members of the program's department: "
                        + ", ".join(unknown[:10])
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = services.assignments_spread(
            actor=request.user,
            program=program,
            reviewers=[officers[name] for name in data["reviewers"]],
            per_application=data["per_application"],
            due_date=data["due_date"],
        )
        created = self.get_queryset().filter(pk__in=[a.pk for a in result.created])
        return Response(
            {
                "created": ReviewAssignmentSerializer(
                    created.order_by("application_id", "reviewer__username"),
                    many=True,
                    context=self.get_serializer_context(),
                ).data,
                "short": [application.pk for application in result.short],
            },
            status=status.HTTP_201_CREATED,
        )
