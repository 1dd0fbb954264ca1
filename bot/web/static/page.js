// The sign-in page submits its form at once: a person's browser signs in on opening the link, while a
// chat app's link preview (which runs no scripts) only reads the page and never spends the link.
document.querySelectorAll("form[data-submit-at-once]").forEach((form) => form.submit());
