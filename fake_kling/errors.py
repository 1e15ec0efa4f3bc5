"""The error codes of the Kling contract (kling_api.md §9) with their HTTP statuses and messages,
and the exception the fake server's handlers raise to answer with one of them."""

# code -> (HTTP status, default message), as in the contract's error table.
ERROR_TABLE: dict[int, tuple[int, str]] = {
    1000: (401, "Authentication failed"),
    1001: (401, "Authorization is empty"),
    1002: (401, "Authorization is invalid"),
    1003: (401, "Authorization is not yet valid"),
    1004: (401, "Authorization has expired"),
    1100: (429, "Account exception"),
    1101: (429, "Account in arrears (postpaid)"),
    1102: (429, "Account balance not enough"),
    1103: (403, "Unauthorized access to requested resource, such as API/model"),
    1200: (400, "Invalid request parameters"),
    1201: (400, "Invalid parameters, such as incorrect key or illegal value"),
    1202: (404, "The requested method is invalid"),
    1203: (404, "The requested resource does not exist, such as the model"),
    1300: (400, "Trigger strategy of the platform"),
    1301: (400, "Trigger the content security policy of the platform"),
    1302: (429, "The API request is too fast, exceeding the rate limit"),
    1303: (429, "parallel task over resource pack limit"),
    1304: (429, "Trigger the IP whitelisting policy of the platform"),
    5000: (500, "Server internal error"),
    5001: (503, "Server temporarily unavailable, usually due to maintenance"),
    5002: (504, "Server internal timeout, usually due to a backlog"),
}

# The task_status_msg of a task that failed content moderation after it was accepted.
MODERATION_MESSAGE = "Failure to pass the risk control system"


class KlingError(Exception):
    """Answer the current request with error `code` (and `message`, else the table's)."""

    def __init__(self, code: int, message: str | None = None) -> None:
        if code not in ERROR_TABLE:
            raise ValueError(f"{code} is not an error code of the Kling contract")
        self.code = code
        self.message = message or ERROR_TABLE[code][1]
        super().__init__(f"{code}: {self.message}")

    @property
    def http_status(self) -> int:
        return ERROR_TABLE[self.code][0]


def invalid(field: str, problem: str) -> KlingError:
    """A 1201 whose message names the field first, as the vendor's messages do."""
    return KlingError(1201, f"{field}: {problem}")
