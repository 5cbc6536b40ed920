"""The problems a file can have, each with a plain message that can be shown to the reporter."""

from django.utils.translation import gettext_lazy as _


class FileProblem(Exception):
    """A file we cannot take as it is; ``message`` says why in plain words, without blame."""

    message = _(
        "We could not read this file. You could try saving it again or taking a screenshot instead."
    )

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(self.message)


class UnsupportedFile(FileProblem):
    """Not one of the kinds of file we accept (whatever its name says)."""

    message = _(
        "We cannot accept this kind of file. You could send a screenshot or a PDF of it instead."
    )


class BrokenFile(FileProblem):
    """One of the kinds we accept, but damaged, incomplete or locked, so it cannot be read."""

    message = _(
        "This file seems to be damaged, so we could not read it. You could try saving it again "
        "or taking a screenshot instead."
    )


class TooComplex(FileProblem):
    """Too large or too complex to open safely (a picture too big, a packed file that explodes)."""

    message = _(
        "This file is too large or too complex for us to open safely. You could send a smaller "
        "copy, a screenshot or a PDF of it instead."
    )


EMPTY_FILE = _("This file is empty. Please check that you chose the right file.")
ARCHIVE = _(
    "We cannot accept zip files or other compressed folders. Please send the files inside it "
    "one by one."
)
OLD_OFFICE = _(
    "We cannot accept older Office files (such as .doc, .xls or .ppt). You could save it as a "
    "newer Word, Excel or PowerPoint file, or as a PDF, and send that instead."
)
PASSWORD_PROTECTED_PDF = _(
    "This PDF is protected with a password, so we cannot remove its hidden details. To send it "
    "as it is, choose to keep the hidden details."
)
