"""The Krachtkompas itself: plain frozen dataclasses, the method's fixed content, colours and spoken words."""
