from playground.app import main

main()
