"""The REST API of people: the person search and register, and the person page's additions (other
names, phones, identity documents, photo).

Reads go through ``visible_persons`` (a person out of scope is a 404) and writes through the
person services, as on the person page. People are named by their uid, never by a database id.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from corridor.core.api import DateField, ModelSerializer, ScopedViewSet, parsed
from corridor.core.forms import EARLIEST_DATE, LATEST_DATE
from corridor.core.vocab import choices
from corridor.people import services
from corridor.people.models import Person, PersonDocument, PersonName, PersonPhone
from corridor.people.selectors import PERSON_ROLES, person_search, visible_persons

UUID_PATTERN = "[0-9a-fA-F-]{32,36}"
# Named once in the OpenAPI document (docs/api.md): tracing requests use the same choice set.
RELATIONSHIPS = choices("people.relationship")


class PersonSerializer(ModelSerializer):
    agency = serializers.StringRelatedField()
    is_child = serializers.BooleanField(read_only=True)
    needs_international_protection = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "uid",
            "display_name",
            "given_names",
            "family_name",
            "name_on_document",
            "gender",
            "birth_precision",
            "birth_date",
            "birth_year",
            "estimated_age",
            "age_estimated_on",
            "citizenships",
            "languages",
            "migrant_status",
            "unaccompanied",
            "is_child",
            "needs_international_protection",
            "place_of_origin",
            "origin_prefecture",
            "agency",
            "created_at",
        ]
        read_only_fields = fields


class PersonNameSerializer(ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["id", "kind", "name"]


class PersonPhoneSerializer(ModelSerializer):
    class Meta:
        model = PersonPhone
        fields = ["id", "number", "label"]
        read_only_fields = ["number"]


class PersonDocumentSerializer(ModelSerializer):
    class Meta:
        model = PersonDocument
        fields = ["id", "doc_type", "number", "issuing_country", "expires_on"]


class PersonDetailSerializer(PersonSerializer):
    """One person as the person page shows them: with other names, phones and documents."""

    other_names = PersonNameSerializer(many=True, read_only=True)
    phones = PersonPhoneSerializer(many=True, read_only=True)
    documents = PersonDocumentSerializer(many=True, read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "other_names", "phones", "documents", "has_photo"]
        read_only_fields = fields

    def get_has_photo(self, person) -> bool:
        return bool(person.photo)


class PersonWriteSerializer(serializers.Serializer):
    """The fields of ``people.services.person_create``; the service checks them."""

    given_names = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    family_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    name_on_document = serializers.CharField(required=False, allow_blank=True, max_length=300)
    gender = serializers.ChoiceField(choices=choices("people.gender")(), required=False)
    birth_date = DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=EARLIEST_DATE.year,
        max_value=LATEST_DATE.year,
    )
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    citizenships = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, max_length=10
    )
    languages = serializers.ListField(
        child=serializers.CharField(max_length=3), required=False, max_length=10
    )
    migrant_status = serializers.ChoiceField(
        choices=choices("people.migrant_status")(), required=False, allow_blank=True
    )
    unaccompanied = serializers.BooleanField(required=False)
    place_of_origin = serializers.CharField(required=False, allow_blank=True, max_length=120)
    origin_prefecture = serializers.CharField(required=False, allow_blank=True, max_length=120)
    phones = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=10
    )


class NameInput(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(
        choices=PersonName.Kind.choices, default=PersonName.Kind.SPELLING
    )


class PhoneInput(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    label = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class DocumentInput(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=choices("people.document_type")())
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    issuing_country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default=""
    )
    expires_on = DateField(required=False, allow_null=True, default=None)


class PhotoInput(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG or PNG, 2 MB at most")


class PersonFilter(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="name search (forgiving)"
    )


@extend_schema_view(list=extend_schema(parameters=[PersonFilter]))
class PersonViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """People within the user's scope (``visible_persons``); ``?q=`` searches names."""

    roles = PERSON_ROLES
    write_roles = services.PERSON_WRITERS
    serializer_class = PersonSerializer
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN
    query_filter = PersonFilter

    def get_queryset(self):
        if self.action == "list":
            query = self.query().get("q", "").strip()
            if query:
                return person_search(self.request.user, query)
        return visible_persons(self.request.user)

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request, *args, **kwargs):
        values = parsed(PersonWriteSerializer, request)
        person = services.person_create(actor=request.user, **values)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NameInput, responses={201: PersonNameSerializer})
    @action(detail=True, methods=["post"])
    def names(self, request, uid=None):
        """Add another name, nickname or spelling; every name is searched."""
        person = self.get_object()
        other = services.person_add_name(
            actor=request.user, person=person, **parsed(NameInput, request)
        )
        return Response(PersonNameSerializer(other).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PhoneInput, responses={201: PersonPhoneSerializer})
    @action(detail=True, methods=["post"])
    def phones(self, request, uid=None):
        person = self.get_object()
        phone = services.person_add_phone(
            actor=request.user, person=person, **parsed(PhoneInput, request)
        )
        return Response(PersonPhoneSerializer(phone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentInput, responses={201: PersonDocumentSerializer})
    @action(detail=True, methods=["post"])
    def documents(self, request, uid=None):
        person = self.get_object()
        document = services.person_add_document(
            actor=request.user, person=person, **parsed(DocumentInput, request)
        )
        return Response(PersonDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": PhotoInput}, responses=PersonDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photo(self, request, uid=None):
        """Keep a photograph (encrypted); the service recognises JPEG and PNG by content."""
        person = self.get_object()
        upload = parsed(PhotoInput, request)["photo"]
        person = services.person_set_photo(
            actor=request.user, person=person, content=upload.read(services.PHOTO_MAX_BYTES + 1)
        )
        return Response(PersonDetailSerializer(person).data)
