"""Helpers shared by the apps' forms and views."""


def add_service_errors(form, error):
    """Put a service's ``ValidationError`` on the form, next to the field it names.

    Errors for fields the form does not have become non-field errors, so the
    user always sees why nothing was saved.
    """
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
