"""The catalogue's registry: each entry is (check name, the mistake the grader must name, the wrong function)."""

CATALOGUE = []


def wrong(check_name, mistake):
    """Register the decorated function as a wrong solution to `check_name` with `mistake`."""
    def register(function):
        CATALOGUE.append((check_name, mistake, function))
        return function
    return register
