from earshot.bench import main

raise SystemExit(main())
