from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "dailypapers.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        admin.site.site_header = "dailypapers administration"
        admin.site.site_title = "dailypapers admin"
        # The admin index links the operator dashboard (charts and job status).
        admin.site.index_template = "ops/admin_index.html"
        # Staff log in through allauth (login throttling, second factor when enabled) instead
        # of the admin's own password-only form.
        admin.site.login = secure_admin_login(admin.site.login)
