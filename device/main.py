# Runs at boot: listen on the configured microphone and report decisions on serial.
# Problems are reported (JSON line + LED blink code) and the board returns to the
# REPL, so it never ends in a crash loop and `earshot deploy` can always reach it.
try:
    from earshot_app import app
except Exception as exc:  # the app itself is missing or broken
    print('{"error":"earshot_app cannot be imported (%s): run earshot deploy","code":1}' % exc)
else:
    try:
        app.listen()
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        import sys
        sys.print_exception(exc)
        print('{"error":"the app stopped: %s","code":7}' % exc)
