"""What the client does to a kompas (add a note, choose an action), and the library of open kompassen."""
