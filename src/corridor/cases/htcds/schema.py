"""The HTCDS 2.0 columns as Corridor reads and writes them: the IOM template's column map, the
labels under the header, the value sets each column draws from, and where model fields land.

The template as IOM publishes it has a header row of field names, a row of labels under it, an
unnamed first column numbering the rows, a misspelt ``vic_TraffickinStatusDecisionMakingOrg`` and
an unnamed column whose label is "Reason for Outgoing Referral": ``ALIASES`` and
``UNNAMED_LABELS`` read them as they are.
"""

from __future__ import annotations

# The IOM template's columns in its order (B onwards), with the misspelling and the unnamed column
# given their HTCDS 2.0 names; then the HTCDS fields Corridor also keeps.
TEMPLATE_COLUMNS = (
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_FirstName",
    "prs_SecondName",
    "con_Consent",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingCity",
    "prs_MailingCountry",
    "prs_MailingState",
    "prs_MailingStreet",
    "prs_MailingPostalCode",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_MethodOfRecruitment",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)
EXTRA_COLUMNS = (
    "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked",
    "prs_PrimaryLanguage",
    "prs_SecondaryLanguage",
)
COLUMNS = TEMPLATE_COLUMNS + EXTRA_COLUMNS
ALIASES = {"vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg"}
UNNAMED_LABELS = {"reasonforoutgoingreferral": "cas_ReasonForOutgoingReferral"}
LABELS = {
    "cas_CaseOwner": "Case Owner",
    "prs_Salutation": "Salutation",
    "prs_FirstName": "First Name",
    "prs_SecondName": "Second Name",
    "con_Consent": "Consent",
    "prs_Birthdate": "Birthdate",
    "prs_Gender": "Gender",
    "prs_Citizenship": "Citizenship",
    "prs_Title": "Title",
    "prs_Email": "Email",
    "prs_HomePhone": "Home Phone",
    "prs_MobilePhone": "Mobile Phone",
    "prs_MailingCity": "Mailing City",
    "prs_MailingCountry": "Mailing Country",
    "prs_MailingState": "Mailing State/Province",
    "prs_MailingStreet": "Mailing Street",
    "prs_MailingPostalCode": "Mailing Zip/Postal Code",
    "vic_TraffickingStatus": "Trafficking Status",
    "vic_TraffickingStatusDecisionMakingOrg": "Trafficking Status Decision Making Organization",
    "vic_MethodOfRecruitment": "Method of Recruitment",
    "vic_LocationOfRecruitment": "Location of Recruitment",
    "vic_MethodsOfControl": "Methods of Control",
    "vic_TypeOfExploitation": "Type of Exploitation",
    "vic_ForcedLabourIndustry": "Forced Labour Industry",
    "vic_TypeOfSexExploitation": "Type of Sex Exploitation",
    "vic_LocationOfExploitation": "Location of Exploitation",
    "cas_Status": "Status",
    "cas_ReferringOrganisation": "Referring Organisation",
    "cas_IncomingReferralDate": "Incoming Referral Date",
    "cas_ReferringPrimaryCaseWorker": "Referring Primary Case Worker",
    "cas_ReasonForIncomingReferral": "Reason for Incoming Referral",
    "cas_IncomingReferralDetails": "Incoming Referral Details",
    "cas_ReferredOrganisation": "Referred Organisation",
    "cas_ReferredPrimaryCaseWorker": "Referred Primary Case Worker",
    "cas_ReasonForOutgoingReferral": "Reason for Outgoing Referral",
    "cas_OutgoingReferralDate": "Outgoing Referral Date",
    "cas_OutgoingReferralDetails": "Outgoing Referral Details",
    "cas_ReasonForCaseClosure": "Reason for Case Closure",
    "vic_RelationshipToTrafficker": "Relationship to Trafficker",
    "vic_AgeWhenTrafficked": "Age when Trafficked",
    "prs_PrimaryLanguage": "Primary Language",
    "prs_SecondaryLanguage": "Secondary Language",
}
# Values with no home in Corridor yet (referrals are recorded by the referrals app): kept with the
# imported row and given back on export. Contact details Corridor does not keep are not stored.
EXTRA_FIELDS = (
    "prs_Salutation",
    "con_Consent",
    "prs_MailingCountry",
    "vic_TypeOfSexExploitation",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
)
NOT_KEPT = ("prs_Title", "prs_Email", "prs_MailingStreet", "prs_MailingPostalCode")
SEX_EXPLOITATION = (
    "Prostitution",
    "Pornography",
    "RemoteInteractiveServices",
    "PrivateSexualServices",
)
MULTI = {
    "vic_MethodsOfControl": "cases.methods_of_control",
    "vic_TypeOfExploitation": "cases.exploitation",
    "vic_ForcedLabourIndustry": "cases.industry",
}
SINGLE = {
    "vic_TraffickingStatus": "cases.trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "cases.decision_org",
    "vic_RelationshipToTrafficker": "cases.relationship_to_trafficker",
    "cas_ReasonForIncomingReferral": "cases.referral_reason",
    "cas_ReasonForOutgoingReferral": "cases.referral_reason",
}
TRUE = {"true", "yes", "oui", "1", "x", "vrai"}
FALSE = {"false", "no", "non", "0", "faux"}

# Where a service's field error lands in the file, to name the column in the report.
FIELD_COLUMNS = {
    "given_names": "prs_FirstName",
    "family_name": "prs_SecondName",
    "birth_date": "prs_Birthdate",
    "birth_year": "prs_Birthdate",
    "gender": "prs_Gender",
    "citizenships": "prs_Citizenship",
    "identified_on": "",
}
