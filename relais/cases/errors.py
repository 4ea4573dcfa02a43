class ActionRefused(Exception):
    """A write the domain refuses: an impossible transition or inconsistent data.

    Its message is French and addressed to the user: views show it as it is.
    """
