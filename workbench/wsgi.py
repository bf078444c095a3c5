import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
# The web server's database connections get a statement timeout (see settings.py);
# workers, migrations and commands, which do not load this module, do not.
os.environ["WORKBENCH_WEB"] = "1"
application = get_wsgi_application()
